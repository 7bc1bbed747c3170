// The per-request GraphQL context: the services (with their DataLoaders) for this request and who it acts as.
import type { Principal } from '../auth/scopes.ts';
import type { Services } from '../services.ts';

export interface Context {
  services: Services;
  principal: Principal;
}
