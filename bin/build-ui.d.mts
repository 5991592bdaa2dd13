export declare const ROOT: string;
export declare const UI_TARGETS: { readonly forge: { entryDir: string; outDir: string }; readonly local: { entryDir: string; outDir: string } };
export type UiTarget = keyof typeof UI_TARGETS;
export interface UiBuildFile { path: string; bytes: number; gzipBytes: number }
/** `firstLoad`: the files the first view needs beyond those index.html names (the local entry loads the app with import()). */
export interface UiBuild { target: UiTarget; outDir: string; buildMs: number; files: UiBuildFile[]; firstLoad?: string[] }
export declare function uiSourceHash(root?: string): string;
export declare function uiStaleReason(target: UiTarget, root?: string): string | null;
export declare function uiBuildFiles(outDir: string): UiBuildFile[];
export declare function buildUi(target: UiTarget, root?: string): Promise<UiBuild>;
export declare function describeUiBuild(build: UiBuild): string;
export declare function buildUiTargets(options?: { force?: boolean; targets?: UiTarget[]; log?: (line: string) => void }): Promise<UiBuild[]>;
export declare function firstLoadFiles(outDir: string, files: UiBuildFile[]): UiBuildFile[];
