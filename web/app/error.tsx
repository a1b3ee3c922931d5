'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="panel center" role="alert">
      <h1>
        <span aria-hidden="true">🙊</span> Something slipped on a banana peel
      </h1>
      <p>{error.message || 'An unexpected error happened.'}</p>
      <button type="button" className="primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
