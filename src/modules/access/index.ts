export { AccessService, createApiKeyInput, createMembershipInput, createRoleInput, updateMembershipInput, updateRoleInput } from './access.service.js';
export type { CreateApiKeyInput, CreateMembershipInput, CreateRoleInput, CredentialsChanged } from './access.service.js';
export { Authenticator, type AuthOptions, type Credentials, type CustomerTokenVerifier, type Principal } from './authenticator.js';
export { AccessErrors } from './access.errors.js';
export { PERMISSIONS, SYSTEM_ROLES, isPermission, type Permission } from './permissions.js';
export { apiKeys, memberships, roles, type ApiKey, type Membership, type Role } from './access.schema.js';
export { assertDeviceTerminal, bindToDevice } from './device-binding.js';
export { credentialsChangedLocally } from './credential-epoch.js';
