import { downloadUrl, fullText, preview, textSlice, type StoredTextSource } from '../resolvers/stored-text.ts';
import { builder } from './builder.ts';
import { StorageLocationEnum } from './enums.ts';

export const StoredTextRef = builder.objectRef<StoredTextSource>('StoredText').implement({
  description: 'Text that may be large: small values inline, larger compressed, the largest in the blob store.',
  fields: (t) => ({
    location: t.field({ type: StorageLocationEnum, resolve: (s) => s.record.location }),
    size: t.float({ description: 'Bytes of the full text (UTF-8).', resolve: (s) => s.record.size }),
    preview: t.string({ description: 'The first characters (PREVIEW_SIZE, 1000 by default).', resolve: (s, _, ctx) => preview(s, ctx) }),
    truncated: t.boolean({
      description: 'True when the preview is shorter than the full text.',
      resolve: (s, _, ctx) => preview(s, ctx).length < fullText(s).length,
    }),
    text: t.string({
      description: 'A slice of the text in characters, at most MAX_TEXT_SLICE long.',
      args: {
        offset: t.arg.int({ defaultValue: 0 }),
        length: t.arg.int(),
      },
      resolve: (s, args, ctx) => textSlice(s, ctx, args.offset ?? 0, args.length),
    }),
    downloadUrl: t.string({ description: 'HTTP URL that returns the full text.', resolve: (s, _, ctx) => downloadUrl(s, ctx) }),
  }),
});
