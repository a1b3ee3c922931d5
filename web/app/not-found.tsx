import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="panel center">
      <h1>
        <span aria-hidden="true">🙈</span> Nothing here
      </h1>
      <p>That page or game does not exist.</p>
      <p>
        <Link href="/">Back to the lobby</Link>
      </p>
    </section>
  );
}
