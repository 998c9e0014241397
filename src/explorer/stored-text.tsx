import { useState } from 'preact/hooks';
import type { ExplorerEvaluationStateQuery } from '../client/generated.ts';
import { client, noteError } from './api.ts';
import { ErrorBox } from './common.tsx';
import { bytes } from './format.ts';
import { errorOfResponse, type StrataClientError } from '../client/index.ts';

type Text = NonNullable<NonNullable<ExplorerEvaluationStateQuery['evaluation']>['output']>;

/**
 * A text's preview and a download of the whole text. The download goes through fetch with the API
 * key (a plain link would get 401 when keys are configured), then is saved from a blob URL. The
 * path of downloadUrl is used on this origin, whatever PUBLIC_URL says.
 */
export function StoredTextView({ text, which }: { text: Text | null | undefined; which: 'output' | 'error' }) {
  const [error, setError] = useState<StrataClientError | null>(null);
  if (!text) return <p class="muted">No {which}.</p>;
  const download = async () => {
    setError(null);
    try {
      const url = new URL(text.downloadUrl);
      const res = await fetch(url.pathname + url.search, { headers: client.headers() });
      if (!res.ok) throw await errorOfResponse(res);
      const blob = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement('a'), { href: blob, download: `${url.pathname.split('/').at(-2)}-${which}.txt` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(blob), 10_000);
    } catch (err) {
      setError(noteError(err));
    }
  };
  return (
    <div class="stored" data-which={which}>
      <p class="muted">
        {bytes(text.size)} · {text.location.toLowerCase()} · sha256 {text.sha256?.slice(0, 12) ?? '–'}
        {text.truncated && ' · preview of the first characters'}{' '}
        <button type="button" class="link" name={`download-${which}`} onClick={download}>Download</button>
      </p>
      <pre class="preview">{text.preview}</pre>
      {error && <ErrorBox error={error} />}
    </div>
  );
}
