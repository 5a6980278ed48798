// The catalog module's public surface: other modules and the adapters import only from here.
export * from './catalog.schema.js';
export { currentCatalogSeq, recordTombstone, tickCatalogClock } from './catalog-clock.js';
export { ImageService, imageOwnerInput, uploadImageInput, type ImageContent, type ImageServiceOptions, type UploadedFile, type UploadImageInput } from './image.service.js';
export { ImageErrors } from './image.errors.js';
export { IMAGE_CONTENT_TYPES, IMAGE_OWNER_TYPES, IMAGE_SIZES, THUMBNAIL_SIZES, renditionContentType, renditionDimensions, extensionOf, type ImageContentType, type ImageOwnerType, type ImageSize } from './image.js';
// Catalog pricing: prices and price books with the one resolver, modifier groups, tax configuration.
export { createCatalogPricingServices, type CatalogPricingServices } from './price.factory.js';
export { PriceService, resolvePricesInTx, type PricedVariant, type PriceContext, type ResolvedVariantPrice } from './price.service.js';
export { PriceBookService, VARIANT_PRICES_TOMBSTONE, type BookPricesResult, type PriceBookListRequest } from './price-book.service.js';
export { resolvePrice, explainCandidates, checkConditions, localTime, daysFromMask, CHANNELS, WEEKDAYS, type Channel, type Weekday, type BookRules, type PriceCandidate, type PriceQuery, type PriceResolution, type PriceReason, type CandidateReport, type ConditionCheck } from './price-resolver.js';
export { setPriceInput, variantPriceInput, priceQueryInput, resolvePricesInput, minorUnitsField, type SetPriceInput, type VariantPriceInput, type PriceQueryInput, type ResolvePricesInput } from './price.js';
export { createPriceBookInput, updatePriceBookInput, setBookPricesInput, type CreatePriceBookInput, type UpdatePriceBookInput, type SetBookPricesInput } from './price-book.js';
export { PriceErrors } from './price.errors.js';
export { PriceEvents } from './price.events.js';
export { ModifierService, loadModifierRules, PRODUCT_MODIFIER_GROUPS_TOMBSTONE, type GroupWithModifiers } from './modifier.service.js';
export { validateModifierSelection, assertModifierSelection, effectiveMin, type ModifierGroupRules, type ModifierRules, type ModifierSelection, type SelectedModifier, type SelectionIssue, type SelectionResult } from './modifier.js';
export { createModifierGroupInput, updateModifierGroupInput, createModifierInput, updateModifierInput, setProductModifierGroupsInput, attachModifierGroupInput, type CreateModifierGroupInput, type UpdateModifierGroupInput, type CreateModifierInput, type UpdateModifierInput, type SetProductModifierGroupsInput, type AttachModifierGroupInput } from './modifier.inputs.js';
export { ModifierErrors } from './modifier.errors.js';
export { TaxService, applicableTaxRules } from './tax.service.js';
export { type TaxRuleWithExemptions } from './tax.repository.js';
export { ORDER_TYPES, MAX_RATE_BP, selectTaxRules, orderTaxRules, taxRuleApplies, type OrderType, type TaxRuleRules, type TaxQuery } from './tax.js';
export { createTaxCategoryInput, updateTaxCategoryInput, createTaxRuleInput, updateTaxRuleInput, applicableTaxRulesQuery, type CreateTaxCategoryInput, type UpdateTaxCategoryInput, type CreateTaxRuleInput, type UpdateTaxRuleInput, type ApplicableTaxRulesQuery } from './tax.inputs.js';
export { TaxErrors } from './tax.errors.js';
