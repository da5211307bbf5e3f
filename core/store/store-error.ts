/** Every failure the store reports on purpose; `code` says which, for callers that handle some of them. */
export class StoreError extends Error {
  constructor(
    readonly code: 'schema-too-new' | 'batch-active' | 'batch-closed' | 'not-found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
