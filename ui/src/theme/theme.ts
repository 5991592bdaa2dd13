/**
 * Light, dark or the system's choice, through Atlassian's design tokens: setGlobalTheme loads
 * the token CSS of the chosen theme (bundled with the app: nothing remote) and sets
 * data-color-mode on <html>, which every Atlaskit component and token() reads.
 */
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';

export type ColorMode = 'light' | 'dark' | 'auto';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'light', 'dark'];
const STORAGE_KEY = 'worktime.colorMode';

export function savedColorMode(): ColorMode {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    return COLOR_MODES.includes(saved as ColorMode) ? (saved as ColorMode) : 'auto';
  } catch {
    return 'auto'; // storage can be off in a sandboxed iframe
  }
}

export async function applyColorMode(mode: ColorMode): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    /* not remembered; still applied */
  }
  await setGlobalTheme({ colorMode: mode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' });
}

/** Applies the remembered mode as the page starts, before React renders (the theme switch applies it again, at no cost). */
export function startColorMode(): void {
  void applyColorMode(savedColorMode()).catch(() => undefined); // the switch reports nothing either: tokens fall back to their defaults
}
