import type { ApiError } from '@contract/result';

export function ErrorBanner({ error }: { error: ApiError | string | null }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <div className="banner banner-error" role="alert">
      {message}
    </div>
  );
}
