import { useState } from 'preact/hooks';
import { setApiKey } from './api.ts';

/** Shown when the gateway answers 401: the key is kept in sessionStorage for this tab only. */
export function KeyPrompt({ hasKey }: { hasKey: boolean }) {
  const [value, setValue] = useState('');
  return (
    <div class="overlay">
      <form
        class="dialog"
        id="key-prompt"
        onSubmit={(e) => {
          e.preventDefault();
          setApiKey(value);
        }}
      >
        <h2>API key</h2>
        <p>{hasKey ? 'The gateway refused this key.' : 'This gateway needs an API key.'} It is kept for this browser tab only (session storage).</p>
        <input type="password" name="apiKey" autoFocus autoComplete="off" placeholder="Bearer key" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <button type="submit" disabled={!value.trim()}>Use key</button>
      </form>
    </div>
  );
}
