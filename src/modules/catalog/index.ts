// The catalog module's public surface: other modules and the adapters import only from here.
export * from './catalog.schema.js';
export { currentCatalogSeq, recordTombstone, tickCatalogClock } from './catalog-clock.js';
export { ImageService, imageOwnerInput, uploadImageInput, type ImageContent, type ImageServiceOptions, type UploadedFile, type UploadImageInput } from './image.service.js';
export { ImageErrors } from './image.errors.js';
export { IMAGE_CONTENT_TYPES, IMAGE_OWNER_TYPES, IMAGE_SIZES, THUMBNAIL_SIZES, renditionContentType, renditionDimensions, extensionOf, type ImageContentType, type ImageOwnerType, type ImageSize } from './image.js';
