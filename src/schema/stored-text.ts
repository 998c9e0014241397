import { downloadUrl, preview, textSlice, truncated, type StoredTextSource } from '../resolvers/stored-text.ts';
import { builder } from './builder.ts';
import { StorageLocationEnum } from './enums.ts';

export const StoredTextRef = builder.objectRef<StoredTextSource>('StoredText').implement({
  description: 'Text that may be large: small values inline, larger compressed, the largest in the blob store.',
  fields: (t) => ({
    location: t.field({ type: StorageLocationEnum, resolve: (s) => s.record.location }),
    size: t.float({ description: 'Bytes of the full text (UTF-8), wherever it is stored.', resolve: (s) => s.record.size }),
    sha256: t.string({ nullable: true, description: 'sha256 of the full text, hex (null for texts stored before checksums were kept).', resolve: (s) => s.record.sha256 ?? null }),
    preview: t.string({ description: 'The first characters (PREVIEW_SIZE, 1000 by default).', resolve: (s, _, ctx) => preview(s, ctx) }),
    truncated: t.boolean({
      description: 'True when the preview is shorter than the full text.',
      resolve: (s, _, ctx) => truncated(s, ctx),
    }),
    text: t.string({
      description: 'A slice of the text in characters (UTF-16 code units), at most MAX_TEXT_SLICE long. Texts in the blob store are read by a bounded range read, never whole.',
      args: {
        offset: t.arg.int({ defaultValue: 0 }),
        length: t.arg.int(),
      },
      resolve: (s, args, ctx) => textSlice(s, ctx, args.offset ?? 0, args.length),
    }),
    downloadUrl: t.string({ description: 'HTTP URL that streams the full text (Range requests and gzip supported).', resolve: (s, _, ctx) => downloadUrl(s, ctx) }),
  }),
});
