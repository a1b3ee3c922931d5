#!/usr/bin/env node
// Renders app/icon.svg into the raster icons browsers and phones ask for: app/favicon.ico
// (16, 32, 48 px PNGs in one ICO), app/apple-icon.png (180) and public/icon-{192,512}.png
// (web app manifest). Run by hand after changing the SVG; the outputs are committed.
// Uses Chromium through playwright-core (as the browser tests do).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(path.join(web, 'app/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
const page = await browser.newPage();

async function png(size) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

/** An ICO whose images are PNGs (supported by every browser since 2008). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt16LE(1, e + 4); // colour planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

const icoImages = [];
for (const size of [16, 32, 48]) icoImages.push({ size, data: await png(size) });
writeFileSync(path.join(web, 'app/favicon.ico'), ico(icoImages));
writeFileSync(path.join(web, 'app/apple-icon.png'), await png(180));
for (const size of [192, 512]) writeFileSync(path.join(web, `public/icon-${size}.png`), await png(size));
await browser.close();
console.log('icons written: app/favicon.ico, app/apple-icon.png, public/icon-192.png, public/icon-512.png');
