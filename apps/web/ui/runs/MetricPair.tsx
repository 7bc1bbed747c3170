// Baseline → ODIN for one metric, the better of the two in bold.
import { Text } from '@mantine/core';
import { percent } from '@/lib/format';

export function MetricPair({ baseline, odin, lowerIsBetter }: { baseline: number; odin: number; lowerIsBetter: boolean }) {
  const odinBetter = lowerIsBetter ? odin < baseline : odin > baseline;
  const baselineBetter = lowerIsBetter ? baseline < odin : baseline > odin;
  return (
    <Text size="sm" span style={{ whiteSpace: 'nowrap' }}>
      <Text span fw={baselineBetter ? 700 : 400} c={baselineBetter ? undefined : 'dimmed'}>
        {percent(baseline)}
      </Text>
      {' → '}
      <Text span fw={odinBetter ? 700 : 400} c={odinBetter ? 'teal.9' : 'dimmed'}>
        {percent(odin)}
      </Text>
    </Text>
  );
}
