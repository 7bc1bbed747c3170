// The per-request GraphQL context: the services (with their DataLoaders) for this request.
import type { Services } from '../services.ts';

export interface Context {
  services: Services;
}
