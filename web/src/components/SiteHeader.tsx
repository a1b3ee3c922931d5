'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { AccountMenu } from './AccountMenu';

const NAV = [
  { href: '/', label: 'Lobby' },
  { href: '/troop', label: 'Troop' },
  { href: '/leaderboard', label: 'Leaderboard' },
];

export function SiteHeader() {
  const path = usePathname();
  return (
    <header className="site-header">
      <Link href="/" className="brand" aria-label="Monkeytown home">
        <span aria-hidden="true">🐒</span> Monkeytown
      </Link>
      <nav aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              <Link href={n.href} aria-current={path === n.href ? 'page' : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <span className="whoami">
        <AccountMenu />
      </span>
    </header>
  );
}
