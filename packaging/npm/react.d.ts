// JSX typing of <trust-center> for React 18 and 19 (TypeScript). Add once, e.g. in a .d.ts file
// or your entry module:   import type {} from "trust-center-widget/react";
// Attributes are passed as strings; listen to the events with a ref (see README.md).

import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { TrustCenterAttributes, TrustCenterElement } from "./trust-center.js";

export type TrustCenterJsxProps = DetailedHTMLProps<HTMLAttributes<TrustCenterElement>, TrustCenterElement> &
  Omit<TrustCenterAttributes, "lang"> & { lang?: string };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "trust-center": TrustCenterJsxProps;
    }
  }
}
