// Kubernetes resource.Quantity suffixes (apimachinery pkg/api/resource/suffix.go): binary and decimal SI.
const FACTORS: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^((?:\d+(?:\.\d+)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/**
 * A quantity (`500m`, `2`, `512Mi`, `1.5Gi`) as a number, close enough to compare two of them; undefined
 * when it is not one. client-node's quantityToScalar is not exported and refuses decimals with a suffix.
 */
export function quantityValue(text: string | number): number | undefined {
  if (typeof text === 'number') return text;
  const match = QUANTITY.exec(text);
  return match ? Number(match[1]) * FACTORS[match[2] ?? '']! : undefined;
}
