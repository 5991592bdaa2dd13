import { useEffect, useId, useState } from 'react';
import { applyColorMode, savedColorMode, type ColorMode } from './theme';

const LABELS: Record<ColorMode, string> = { auto: 'Same as system', light: 'Light', dark: 'Dark' };

/** Light, dark or the system's setting; remembered in this browser. A native select: labelled, keyboard-ready, tiny. */
export function ThemeSwitch() {
  const id = useId();
  const [mode, setMode] = useState<ColorMode>(savedColorMode);
  useEffect(() => {
    void applyColorMode(mode);
  }, [mode]);
  return (
    <div className="wt-field">
      <label htmlFor={id}>Theme</label>
      <select id={id} className="wt-select" value={mode} onChange={(e) => setMode(e.target.value as ColorMode)}>
        {(Object.keys(LABELS) as ColorMode[]).map((m) => (
          <option key={m} value={m}>
            {LABELS[m]}
          </option>
        ))}
      </select>
    </div>
  );
}
