import { DomainError } from '../common/errors/domain-error.js';

export const AuthErrors = {
  unauthenticated: () => new DomainError('auth.unauthenticated', 401),
  invalidToken: () => new DomainError('auth.invalid_token', 401),
  invalidCredentials: () => new DomainError('auth.invalid_credentials', 401),
  invalidRefreshToken: () => new DomainError('auth.invalid_refresh_token', 401),
  refreshTokenReused: () => new DomainError('auth.refresh_token_reused', 401),
  emailTaken: () => new DomainError('auth.email_taken', 409),
};
