/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/points/template.c -- the county template in the shape of 济源's
 * 道德积分储蓄站: six categories (积孝 积善 积信 积勤 积俭 积美) and 45 example
 * items, to be edited by each village's meeting when it adopts them. Points are
 * per occurrence; the cap is per household per cycle (0: none); a veto item,
 * once final, cancels the household's gains of the cycle. */
#include "core/compat.h"

#include "domain/points/points_int.h"

const struct template_category points_template_categories[] = {
    { "xiao", "积孝" }, { "shan", "积善" }, { "xin", "积信" },
    { "qin", "积勤" },  { "jian", "积俭" }, { "mei", "积美" },
};
const size_t points_template_ncategories =
    sizeof(points_template_categories) / sizeof(points_template_categories[0]);

/* category, code, name, points, cap, evidence, veto */
const struct template_item points_template_items[] = {
    { "xiao", "xiao01", "孝敬赡养老人，老人衣食住行有保障", 5, 10, false, false },
    { "xiao", "xiao02", "在外工作常回家看望、照料父母", 2, 6, false, false },
    { "xiao", "xiao03", "长期照顾卧病在床的家人", 5, 10, true, false },
    { "xiao", "xiao04", "尊老敬老、为老人祝寿受村民称赞", 2, 4, false, false },
    { "xiao", "xiao05", "家庭和睦，婆媳、妯娌关系融洽", 3, 6, false, false },
    { "xiao", "xiao06", "被评为好媳妇、好婆婆等孝老爱亲典型", 10, 10, true, false },
    { "xiao", "xiao07", "不赡养老人或虐待老人", -10, 0, false, true },
    { "xiao", "xiao08", "家庭暴力、打骂家庭成员", -10, 0, false, true },
    { "shan", "shan01", "参加志愿服务活动（每次）", 2, 10, true, false },
    { "shan", "shan02", "见义勇为", 20, 20, true, false },
    { "shan", "shan03", "拾金不昧", 5, 10, true, false },
    { "shan", "shan04", "帮扶困难群众、邻里互助", 3, 9, false, false },
    { "shan", "shan05", "无偿献血", 10, 10, true, false },
    { "shan", "shan06", "为村里公益事业捐款捐物", 3, 9, true, false },
    { "shan", "shan07", "参与调解邻里纠纷并促成和解", 3, 9, false, false },
    { "shan", "shan08", "为村里发展建言献策被采纳", 3, 6, false, false },
    { "xin", "xin01", "按时缴纳应缴费用", 2, 2, false, false },
    { "xin", "xin02", "诚信经营、守合同、不拖欠工钱货款", 3, 3, false, false },
    { "xin", "xin03", "按期归还贷款，信用良好", 5, 5, true, false },
    { "xin", "xin04", "如实登记信息，配合村里各项工作", 2, 2, false, false },
    { "xin", "xin05", "全家遵纪守法，无违法记录", 3, 3, false, false },
    { "xin", "xin06", "散布谣言、恶意中伤他人", -5, 0, false, false },
    { "xin", "xin07", "失信被执行或恶意拖欠", -10, 0, false, true },
    { "qin", "qin01", "勤劳致富、发展产业带动乡亲", 5, 10, true, false },
    { "qin", "qin02", "参加职业技能培训并取得证书", 3, 6, true, false },
    { "qin", "qin03", "参加村组义务劳动（每次）", 2, 10, false, false },
    { "qin", "qin04", "按时参加村民大会、党员会议", 1, 3, false, false },
    { "qin", "qin05", "子女考上大学本科", 10, 10, true, false },
    { "qin", "qin06", "参加防汛、防火等应急值守", 3, 9, false, false },
    { "qin", "qin07", "参与人居环境整治行动", 2, 8, false, false },
    { "qin", "qin08", "无故不参加集体义务劳动", -2, 0, false, false },
    { "jian", "jian01", "婚事新办简办，不要高额彩礼", 10, 10, true, false },
    { "jian", "jian02", "丧事简办、文明祭祀", 5, 5, false, false },
    { "jian", "jian03", "节约水电、不浪费粮食", 1, 3, false, false },
    { "jian", "jian04", "签订移风易俗承诺书并带头践行", 2, 2, false, false },
    { "jian", "jian05", "垃圾分类、废旧物品回收利用", 2, 6, false, false },
    { "jian", "jian06", "婚丧喜庆大操大办、铺张浪费", -10, 0, false, true },
    { "jian", "jian07", "索要高额彩礼", -10, 0, false, true },
    { "mei", "mei01", "庭院整洁、物品摆放有序", 3, 9, true, false },
    { "mei", "mei02", "房前屋后绿化美化", 2, 6, true, false },
    { "mei", "mei03", "被评为美丽庭院、最美庭院", 10, 10, true, false },
    { "mei", "mei04", "门前三包落实到位", 2, 6, false, false },
    { "mei", "mei05", "乱堆乱放、乱搭乱建", -3, 0, false, false },
    { "mei", "mei06", "乱倒垃圾、污水乱排", -3, 0, false, false },
    { "mei", "mei07", "散养畜禽污染环境", -2, 0, false, false },
};
const size_t points_template_nitems =
    sizeof(points_template_items) / sizeof(points_template_items[0]);
