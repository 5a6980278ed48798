// The catalog module's public surface: other modules and the adapters import only from here.
export * from './catalog.schema.js';
export { currentCatalogSeq, recordTombstone, tickCatalogClock } from './catalog-clock.js';
