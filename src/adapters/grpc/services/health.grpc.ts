import { API_VERSION } from '../../http/server.js';
import type { Rpc } from '../rpc-kit.js';

/** pos.v1.HealthService: liveness without credentials, as cheap as a call can be (no database round trip). */
export const healthRpcs: Record<string, Rpc> = {
  Check: {
    auth: 'none',
    probe: true,
    handle: async (_req, _ctx, env) => ({ status: env.serving() ? 'SERVING' : 'NOT_SERVING', version: API_VERSION }),
  },
};
