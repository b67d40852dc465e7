import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface ChartMonth {
  month: string;
  paidYuan: number;
  people: number;
  approved: number;
  refused: number;
}

/**
 * Charts render in the browser only: their size comes from the layout, which the server does
 * not have. The tables beside them carry the same figures for screen readers and for the
 * server-rendered page.
 */
function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

export function PaidChart({
  data,
  labels,
}: {
  data: ChartMonth[];
  labels: { paid: string; people: string };
}) {
  const mounted = useMounted();
  return (
    <div className="aid-chart" aria-hidden="true">
      {mounted && (
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis yAxisId="left" fontSize={12} width={72} />
            <YAxis yAxisId="right" orientation="right" fontSize={12} width={40} />
            <Tooltip />
            <Legend />
            <Bar
              yAxisId="left"
              dataKey="paidYuan"
              name={labels.paid}
              fill="#a4161a"
              isAnimationActive={false}
            />
            <Bar
              yAxisId="right"
              dataKey="people"
              name={labels.people}
              fill="#1a5fb4"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}

export function DecisionChart({
  data,
  labels,
}: {
  data: ChartMonth[];
  labels: { approved: string; refused: string };
}) {
  const mounted = useMounted();
  return (
    <div className="aid-chart" aria-hidden="true">
      {mounted && (
        <ResponsiveContainer width="100%" height={280}>
          <LineChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" fontSize={12} />
            <YAxis fontSize={12} width={40} allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Line dataKey="approved" name={labels.approved} stroke="#1b7f3b" isAnimationActive={false} />
            <Line dataKey="refused" name={labels.refused} stroke="#b3261e" isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
