/**
 * Inside Jira the app's colours follow the person's Jira theme, not a switch of its own: the
 * bridge's view.theme.enable() makes Jira set data-color-mode on this frame's <html> and change it
 * when the person switches theme. The app loads its bundled token CSS for that same mode, so every
 * Atlaskit part and token() agrees with Jira. Where the host offers no theming, the frame follows
 * the system's light or dark setting.
 */
import { view } from '@forge/bridge';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';

type Mode = 'light' | 'dark' | 'auto';

const apply = (mode: Mode) => setGlobalTheme({ colorMode: mode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' }).catch(() => undefined);

/** The mode Jira set on <html>, or null while it has set none. */
function hostMode(): 'light' | 'dark' | null {
  const mode = document.documentElement.getAttribute('data-color-mode');
  return mode === 'light' || mode === 'dark' ? mode : null;
}

export function followJiraTheme(): void {
  view.theme.enable().then(
    () => {
      // Nothing is applied before Jira has answered: an 'auto' written first could land after Jira's mode and hide it.
      let applied: Mode | null = null;
      const sync = () => {
        const mode = hostMode() ?? 'auto';
        // setGlobalTheme writes the same attribute: applying only on a change keeps the observer from looping.
        if (mode !== applied) {
          applied = mode;
          void apply(mode);
        }
      };
      sync();
      new MutationObserver(sync).observe(document.documentElement, { attributes: true, attributeFilter: ['data-color-mode'] });
    },
    () => void apply('auto'), // no theming from this host
  );
}
