/**
 * Google Shopping feed import: download with limits, streaming parse into normalized items and
 * an import report, points cost proposal. Pure modules: storing the catalogue is the caller's
 * job, and a result with `ok: false` means the previous catalogue stays in place.
 */
export { parseFeed } from './parse.ts'
export { GOOGLE_NS, ATOM_NS } from './elements.ts'
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_ITEMS, DEFAULT_MAX_ERRORS, MAX_ID_CHARS } from './limits.ts'
export type { Availability, FeedItem, FeedSource, ParseFeedOptions, ParseResult } from './types.ts'
export type { FatalCode, FatalError, ImportReport, ReportEntry } from './import-report.ts'
export { parsePrice } from './price.ts'
export type { PriceResult } from './price.ts'
export {
  downloadFeed,
  FeedDownloadError,
  DEFAULT_DOWNLOAD_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_DOWNLOAD_MAX_BYTES,
  DEFAULT_MAX_REDIRECTS,
} from './download.ts'
export type { DownloadErrorCode, DownloadFeedOptions, FeedDownload } from './download.ts'
export { proposePointsCost, friendlyStep, DEFAULT_SPEND_MULTIPLE } from './points.ts'
export type { PointsCostOptions } from './points.ts'
export { generateFeed, generatedItemId, generatedGroupId, generatedCounts, escapeXml } from './generate.ts'
export type { GenerateFeedOptions } from './generate.ts'
export { formatImportReport } from './report.ts'
export { feedMessages } from './messages.ts'
