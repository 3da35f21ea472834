// SPDX-License-Identifier: Apache-2.0
// web/src/app/points/pointsVillage.js -- the village the points pages work on:
// the scope of the caller's first role in a village that holds a points
// permission (a villager's, a cadre's, a merchant's, a supervisor's own
// village); for township and county staff, the village they picked on the
// Village tab (workVillage.js), or '' until they pick one.
import { computed } from 'vue';
import { isVillageCode } from '../../shared/points/format.js';
import { me } from '../caller.js';
import { villageCode } from '../workVillage.js';

export const pointsVillage = computed(() => {
  const role = (me.value?.roles || []).find(
    (r) => isVillageCode(r.scope) && (r.permissions || []).some((p) => p.startsWith('points.')),
  );
  return role ? role.scope : villageCode.value;
});
