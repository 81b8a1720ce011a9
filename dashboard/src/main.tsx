import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Be Vietnam Pro, bundled (no font CDN on a wall without internet), Vietnamese + Latin subsets
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/700.css';
import './styles.css';
import { initialLang } from './i18n/i18n.ts';
import { App } from './shell/app.tsx';

document.documentElement.lang = initialLang;
// deck.gl's TextLayer rasterises its glyph atlas once: the font must be loaded before the map
// draws, or the labels keep the fallback font (at most 3 s, then draw anyway)
const fontsReady = Promise.all(['400', '700'].map((w) => document.fonts.load(`${w} 16px "Be Vietnam Pro"`, 'Phường Rạch Dừa ắ ẫ ợ'))).catch(() => []);
await Promise.race([fontsReady, new Promise((r) => setTimeout(r, 3000))]);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
