'use client';
import { lazy, Suspense, type ComponentType } from 'react';
import type { GameType } from '@monkeytown/shared/schemas';
import type { BoardProps } from './types';

/**
 * A board loaded only when a game of its type is shown: `lazyBoard(() => import('./XBoard'))`
 * in the boards map, the file's default export taking BoardProps<'x'>. Its own Suspense
 * boundary, around it alone: a boundary around every board would let React's server render
 * stream a big, finished board (chess's 64 squares) as a placeholder plus a later swap
 * (its progressive chunking), so a page read without JavaScript showed "board loading".
 */
export function lazyBoard<K extends GameType>(load: () => Promise<{ default: ComponentType<BoardProps<K>> }>): ComponentType<BoardProps<K>> {
  const Board = lazy(load);
  return function LazyBoard(props: BoardProps<K>) {
    return (
      <Suspense fallback={<div className="board-placeholder" role="img" aria-label="board loading" />}>
        <Board {...props} />
      </Suspense>
    );
  };
}
