import { CategoryService } from './category.service.js';
import { ChangeFeedService } from './change-feed.service.js';
import { ProductService } from './product.service.js';
import { CatalogSearchService } from './search.service.js';
import { VariantService } from './variant.service.js';

/** The catalog core's services, as the transports use them. */
export interface CatalogCoreServices {
  categories: CategoryService;
  products: ProductService;
  variants: VariantService;
  search: CatalogSearchService;
  changes: ChangeFeedService;
}

/** Plain constructors: the services hold no state; every call takes its context. */
export function createCatalogCoreServices(): CatalogCoreServices {
  return {
    categories: new CategoryService(),
    products: new ProductService(),
    variants: new VariantService(),
    search: new CatalogSearchService(),
    changes: new ChangeFeedService(),
  };
}
