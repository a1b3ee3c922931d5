// Runs once when the web server starts (Next's instrumentation hook).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { installHttpGuard } = await import('./src/lib/http-guard');
    installHttpGuard();
  }
}
