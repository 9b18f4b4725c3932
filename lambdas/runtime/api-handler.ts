import {
  apiChain,
  type Handle,
  type HandlerArguments,
  type HandlerDeclaration,
  type MemberAuthenticator,
} from '../http/api-handler.ts';
import { config } from './config.ts';

/**
 * A deployed route's handler: the declaration's middleware chain (`http/api-handler.ts`) with this
 * deployment's settings — the portal origins it accepts, the path the API is served at.
 */
export function apiHandler<R extends HandlerDeclaration>(route: R, ...args: HandlerArguments<R>) {
  const [guard, handle] = (args.length === 2 ? args : [undefined, args[0]]) as [
    MemberAuthenticator | undefined,
    Handle<R>,
  ];
  const { portalOrigins, apiBasePath } = config();
  return apiChain(route, { origins: portalOrigins, apiBasePath, ...(guard ? { guard } : {}) }, handle);
}
