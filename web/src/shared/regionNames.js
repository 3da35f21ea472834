// SPDX-License-Identifier: Apache-2.0
// web/src/shared/regionNames.js -- the name of a region code (410183100000 ->
// 城关镇) for pages that list scopes, from the public region API, each code
// asked once per page load. An unknown code keeps showing as its digits.
import { reactive } from 'vue';
import { api } from './api.js';

const names = reactive({});
const asked = new Set();

export function regionName(code) {
  if (code && !asked.has(code)) {
    asked.add(code);
    api('GET', `/api/v1/regions/${encodeURIComponent(code)}`)
      .then((r) => { names[code] = r.name; })
      .catch(() => { /* the code alone is shown */ });
  }
  return names[code] || '';
}
