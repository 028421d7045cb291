// Type-only entry (JSX typing of <trust-center> for React, see react.d.ts); nothing to run.
export {};
