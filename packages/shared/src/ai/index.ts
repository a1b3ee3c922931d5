// The Monkeytown troop (personalities over real search). Filled in by the engines work.
export {};
