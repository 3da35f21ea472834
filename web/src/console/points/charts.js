// SPDX-License-Identifier: Apache-2.0
// web/src/console/points/charts.js -- ECharts for the points reports, only
// the parts they draw (bar, line and pie charts, axes, tooltip, legend, the
// canvas renderer), imported by the reports page when it first draws, so
// neither the console's first page nor the other points pages carry it.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

// Draw 'option' in 'el' (a chart already there is redrawn); returns the chart.
export function draw(el, option) {
  const chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption(option, true);
  return chart;
}

export function resize(el) {
  echarts.getInstanceByDom(el)?.resize();
}

export function dispose(el) {
  echarts.getInstanceByDom(el)?.dispose();
}
