import type { MetadataRoute } from 'next';

// /manifest.webmanifest: name and icons for "add to home screen".
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'Monkeytown',
    short_name: 'Monkeytown',
    description: 'Play tic-tac-toe and connect four live against people and a troop of AI monkeys.',
    start_url: '/',
    display: 'standalone',
    background_color: '#fbf6e9',
    theme_color: '#1f4d2b',
    icons: [
      { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  };
}
