'use client';
// A page opened by a link starts at its top. The App Router keeps the scroll position when
// the new page's first element is already in view, so a game opened from the lower part
// of the lobby started part-way down. Back/forward keep the browser's restored position.
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';

export function ScrollToTop() {
  const path = usePathname();
  const first = useRef(true);
  const popped = useRef(false);
  useEffect(() => {
    const onPop = () => {
      popped.current = true;
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (popped.current) {
      popped.current = false;
      return;
    }
    if (!window.location.hash) window.scrollTo(0, 0);
  }, [path]);
  return null;
}
