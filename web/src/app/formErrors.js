// SPDX-License-Identifier: Apache-2.0
// web/src/app/formErrors.js -- a form's error state: one message per field (shown
// under the field), one for the form (shown above the buttons), the server's
// errors put next to the field they name, and focus moved to the first field
// that needs fixing. PhoneForm.vue sends a form with it.
import { nextTick, reactive, ref } from 'vue';

export function useFormErrors(fieldNames) {
  const fields = reactive(Object.fromEntries(fieldNames.map((f) => [f, ''])));
  const form = ref('');

  function clear() {
    for (const f of fieldNames) fields[f] = '';
    form.value = '';
  }

  function any() {
    return fieldNames.some((f) => fields[f]);
  }

  // Take the client's checks ({ field: message or '' }); true when one failed.
  function check(problems) {
    for (const [f, message] of Object.entries(problems)) fields[f] = message;
    return any();
  }

  // The API's error next to its field when the form has it, else for the
  // form, worded by 'failed' (the server's message => the form's line).
  function fromApi(e, failed = (message) => message) {
    if (e.field && fieldNames.includes(e.field)) fields[e.field] = e.message;
    else form.value = failed(e.message);
  }

  // Move focus to the first invalid control inside 'el' (a form element).
  async function focusFirst(el) {
    await nextTick();
    el?.querySelector('[aria-invalid="true"]')?.focus();
  }

  return { fields, form, clear, any, check, fromApi, focusFirst };
}
