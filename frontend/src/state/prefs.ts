/** Theme and language, remembered per browser; defaults follow the system. */
import { reactive, watchEffect } from 'vue';

export type Theme = 'light' | 'dark';
export type Lang = 'en' | 'zh';

const systemDark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

export const prefs = reactive({
  theme: (localStorage.getItem('edgemail.theme') as Theme | null) ?? (systemDark ? 'dark' : 'light'),
  lang: (localStorage.getItem('edgemail.lang') as Lang | null) ?? (navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en'),
});

watchEffect(() => {
  document.documentElement.dataset.theme = prefs.theme;
  document.documentElement.lang = prefs.lang === 'zh' ? 'zh-CN' : 'en';
  localStorage.setItem('edgemail.theme', prefs.theme);
  localStorage.setItem('edgemail.lang', prefs.lang);
});
