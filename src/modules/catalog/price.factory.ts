import { ModifierService } from './modifier.service.js';
import { PriceBookService } from './price-book.service.js';
import { PriceService } from './price.service.js';
import { TaxService } from './tax.service.js';

/** The catalog's pricing side: prices and the resolver, price books, modifiers, tax configuration. */
export interface CatalogPricingServices {
  prices: PriceService;
  priceBooks: PriceBookService;
  modifiers: ModifierService;
  taxes: TaxService;
}

/** Stateless services (the database comes with each call's context), so one set serves the whole process. */
export function createCatalogPricingServices(): CatalogPricingServices {
  return { prices: new PriceService(), priceBooks: new PriceBookService(), modifiers: new ModifierService(), taxes: new TaxService() };
}
