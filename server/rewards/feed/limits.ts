/** Limits of a feed import: the defaults callers may override, and the parser's own caps. */

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024
export const DEFAULT_MAX_ITEMS = 200_000
export const DEFAULT_MAX_ERRORS = 20
/** Google's limit for g:id (and g:item_group_id). */
export const MAX_ID_CHARS = 50
/** Any field we read longer than this is an error; Google's longest (description) is 5 000. */
export const MAX_FIELD_CHARS = 10_000
/**
 * saxes accumulates a text node, comment, CDATA section, attribute list or entity name until it
 * ends. Capping the characters between two parser events bounds that memory whatever the feed;
 * 1M characters is 200× a maximal product description.
 */
export const DEFAULT_MAX_TOKEN_CHARS = 1_000_000
/** saxes keeps one object per open element; a feed needs ~5 levels (rss/channel/item/g:shipping/g:price). */
export const MAX_DEPTH = 64
/** Text is handed to saxes in slices this long so the caps above are checked often. */
export const SLICE_CHARS = 64 * 1024
