import type { Client } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { Logger } from '../logger';
import { CUSTOM_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';

const { temporal } = proto; // CommonJS package: no named ESM exports

const INDEXED: Record<string, number> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
};

/**
 * Registers the custom search attributes (idempotent). Returns false when the namespace
 * refuses (e.g. no operator permission on a managed cluster): runs then carry a memo only.
 */
export async function ensureSearchAttributes(client: Client, namespace: string, logger: Logger): Promise<boolean> {
  try {
    const existing = await client.connection.operatorService.listSearchAttributes({ namespace });
    const have = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = CUSTOM_SEARCH_ATTRIBUTES.filter((k) => !have.has(k.name));
    if (missing.length > 0) {
      await client.connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]])),
      });
    }
    return true;
  } catch (e) {
    logger.warn({ err: (e as Error).message }, 'could not register search attributes; runs will carry a memo only');
    return false;
  }
}
