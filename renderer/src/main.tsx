// The shell's base styles first: every feature's and shared component's stylesheet is imported after them.
import './app/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { pickTransport } from './app/transport';

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App client={pickTransport()} />
  </StrictMode>,
);
