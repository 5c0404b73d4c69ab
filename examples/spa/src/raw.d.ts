// Vite's `?raw` imports: the file's text as the default export.
declare module '*.md?raw' {
  const text: string;
  export default text;
}
