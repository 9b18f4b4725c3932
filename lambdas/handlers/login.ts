import { apiHandler } from '../http/api-handler.ts';
import { authenticatedResult } from '../http/auth-responses.ts';
import { message } from '../http/messages.ts';
import { LoginRequest } from '../http/schemas.ts';
import { login } from '../runtime/services.ts';

const signIn = await login();

export const handler = apiHandler({ body: LoginRequest }, async (request) => {
  const outcome = await signIn.login(request.body, request);
  switch (outcome.status) {
    case 'AUTHENTICATED':
      return authenticatedResult(outcome);
    case 'CODE_CHANGE_REQUIRED':
      return {
        statusCode: 200,
        body: { status: outcome.status, message: message('CODE_CHANGE_REQUIRED', request.language) },
      };
    case 'TERMS_ACCEPTANCE_REQUIRED':
      return {
        statusCode: 200,
        body: {
          status: outcome.status,
          terms: { version: outcome.terms.version, url: outcome.terms.url },
          challenge: outcome.challenge,
        },
      };
  }
});
