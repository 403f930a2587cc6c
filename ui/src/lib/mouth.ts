// Mouth geometry for each Rhubarb shape, drawn as one path (lips) plus teeth and tongue.
import type { Shape } from "./visemes";

export interface MouthGeometry {
  /** Half width and opening height in SVG units (face is 512 wide). */
  w: number;
  h: number;
  teeth: boolean;
  tongue: boolean;
}

export const MOUTH: Record<Shape, MouthGeometry> = {
  A: { w: 34, h: 2, teeth: false, tongue: false }, // closed: M B P
  B: { w: 36, h: 9, teeth: true, tongue: false }, // slightly open, clenched teeth: K S T EE
  C: { w: 38, h: 18, teeth: true, tongue: false }, // open: EH AE
  D: { w: 40, h: 30, teeth: true, tongue: true }, // wide open: AA
  E: { w: 28, h: 22, teeth: false, tongue: false }, // slightly rounded: AO ER
  F: { w: 18, h: 14, teeth: false, tongue: false }, // puckered: UW OW W
  G: { w: 34, h: 7, teeth: true, tongue: false }, // F V: upper teeth on lower lip
  H: { w: 36, h: 18, teeth: true, tongue: true }, // L: tongue raised
  X: { w: 32, h: 1, teeth: false, tongue: false }, // rest
};

/** The lips path for a mouth of half-width `w` and opening `h`, centred on (cx, cy). */
export function mouthPath(cx: number, cy: number, g: MouthGeometry): string {
  const { w, h } = g;
  const top = cy - h * 0.35;
  const bottom = cy + h;
  return `M${cx - w} ${cy} Q${cx - w * 0.5} ${top - 4} ${cx} ${top} Q${cx + w * 0.5} ${top - 4} ${cx + w} ${cy} Q${cx + w * 0.6} ${bottom + 2} ${cx} ${bottom} Q${cx - w * 0.6} ${bottom + 2} ${cx - w} ${cy} Z`;
}
