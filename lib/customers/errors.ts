// Errors the background's message router turns into protocol replies: `code` is the
// protocol's ErrorCode, `message` is shown to the user as is (bilingual where it names input).
import type { ErrorCode } from '../messaging/protocol';

export class LiaisonError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    // Prefixed: Dexie turns errors named like DOMExceptions ('NotFoundError') into its own
    // error classes when they cross a transaction, which would lose `code`.
    this.name = `Liaison${new.target.name}`;
  }
}

export class ValidationError extends LiaisonError {
  constructor(message: string) {
    super('invalid', message);
  }
}

export class NotFoundError extends LiaisonError {
  constructor(message: string) {
    super('not-found', message);
  }
}

export class ForbiddenError extends LiaisonError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
