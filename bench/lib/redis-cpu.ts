// CPU a redis-server has used so far (user + system, µs), from its own INFO: the bench's
// private redis-server serves nothing else, so the difference over a window is the
// window's Redis work.
import type { Redis } from 'ioredis';

export async function redisCpuUs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1e6;
}
