import { defineError } from '../../platform/errors.js';

export const ImageErrors = {
  IMAGE_NOT_FOUND: defineError('IMAGE_NOT_FOUND', 'not_found', 'Image not found'),
  IMAGE_OWNER_NOT_FOUND: defineError('IMAGE_OWNER_NOT_FOUND', 'not_found', 'The product, variant or category the image is for does not exist'),
  IMAGE_FILE_MISSING: defineError('IMAGE_FILE_MISSING', 'invalid', 'Send the image as a multipart/form-data file field named "file"'),
  IMAGE_TOO_LARGE: defineError('IMAGE_TOO_LARGE', 'invalid', 'The image file is larger than the upload limit'),
  IMAGE_TYPE_UNSUPPORTED: defineError('IMAGE_TYPE_UNSUPPORTED', 'invalid', 'Only JPEG, PNG and WebP images are accepted (judged by the file content, not its name)'),
  IMAGE_UNREADABLE: defineError('IMAGE_UNREADABLE', 'invalid', 'The file has an image signature but cannot be decoded (corrupt or truncated)'),
  IMAGE_DIMENSIONS_TOO_LARGE: defineError('IMAGE_DIMENSIONS_TOO_LARGE', 'invalid', 'The image has too many pixels'),
} as const;
