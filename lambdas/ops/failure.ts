/** A command that was understood but could not be done (no such member, a refused change): exit 1. */
export class OperatorFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorFailure';
  }
}
