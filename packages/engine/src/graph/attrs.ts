// Typed attribute access with defaults, and attribute constructors for the builder.
import type { Attr, Node, TensorData } from './ir.ts';

export function attrInt(node: Node, name: string, fallback: number): number;
export function attrInt(node: Node, name: string): number | undefined;
export function attrInt(node: Node, name: string, fallback?: number): number | undefined {
  const a = node.attrs[name];
  if (!a) return fallback;
  if (a.type !== 'int') throw new Error(`${node.op} node "${node.name}": attribute ${name} should be an int`);
  return a.value;
}

export function attrFloat(node: Node, name: string, fallback: number): number {
  const a = node.attrs[name];
  if (!a) return fallback;
  if (a.type !== 'float' && a.type !== 'int') throw new Error(`${node.op} node "${node.name}": attribute ${name} should be a float`);
  return a.value;
}

export function attrInts(node: Node, name: string, fallback: number[]): number[];
export function attrInts(node: Node, name: string): number[] | undefined;
export function attrInts(node: Node, name: string, fallback?: number[]): number[] | undefined {
  const a = node.attrs[name];
  if (!a) return fallback;
  if (a.type !== 'ints') throw new Error(`${node.op} node "${node.name}": attribute ${name} should be a list of ints`);
  return a.value;
}

export function attrFloats(node: Node, name: string): number[] | undefined {
  const a = node.attrs[name];
  if (!a) return undefined;
  if (a.type !== 'floats') throw new Error(`${node.op} node "${node.name}": attribute ${name} should be a list of floats`);
  return a.value;
}

export function attrString(node: Node, name: string, fallback: string): string {
  const a = node.attrs[name];
  if (!a) return fallback;
  if (a.type !== 'string') throw new Error(`${node.op} node "${node.name}": attribute ${name} should be a string`);
  return a.value;
}

export function attrTensor(node: Node, name: string): TensorData | undefined {
  const a = node.attrs[name];
  return a?.type === 'tensor' ? a.value : undefined;
}

/** Attribute values as the builder accepts them: bare numbers are ints, bare arrays are int lists. */
export type AttrInput = Attr | number | number[] | string;

export const float = (value: number): Attr => ({ type: 'float', value });
export const floats = (value: number[]): Attr => ({ type: 'floats', value });

export function toAttr(v: AttrInput): Attr {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute value ${v} is not an int; wrap floats with float()`);
    return { type: 'int', value: v };
  }
  if (typeof v === 'string') return { type: 'string', value: v };
  if (Array.isArray(v)) return { type: 'ints', value: v };
  return v;
}
