// chart.js with only the controllers the reports use, registered once. Loaded with import() by
// chart-loader.ts when a chart is first shown, so the options page's entry chunk does not carry
// chart.js (issue 19: the page paints before the heavy parts arrive).
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Tooltip, Legend);

export { Chart };
