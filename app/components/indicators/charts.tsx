import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/**
 * The dashboard's charts (recharts). They render in the browser only (their size comes from the
 * layout) and are hidden from screen readers: the table beside each carries the same figures.
 */
function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/** A share month by month (in %), with its target as a line. */
export function ShareChart({
  data,
  target,
  label,
  targetLabel,
}: {
  data: { month: string; percent: number | null }[];
  target: number | null;
  label: string;
  targetLabel: string;
}) {
  const mounted = useMounted();
  return (
    <div className="indicator-chart" aria-hidden="true">
      {mounted && (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis fontSize={12} width={44} domain={[0, 100]} unit="%" />
            <Tooltip />
            {target !== null && (
              <ReferenceLine y={target * 100} stroke="#a4161a" strokeDasharray="6 3" label={targetLabel} />
            )}
            <Line
              type="monotone"
              dataKey="percent"
              name={label}
              stroke="#1a5fb4"
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

/** Cases accepted and closed month by month. */
export function FlowChart({
  data,
  labels,
}: {
  data: { month: string; accepted: number; closed: number }[];
  labels: { accepted: string; closed: string };
}) {
  const mounted = useMounted();
  return (
    <div className="indicator-chart" aria-hidden="true">
      {mounted && (
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis fontSize={12} width={56} />
            <Tooltip />
            <Legend />
            <Bar dataKey="accepted" name={labels.accepted} fill="#1a5fb4" isAnimationActive={false} />
            <Bar dataKey="closed" name={labels.closed} fill="#2e7d32" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
