<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <source>Building the demo station on first start…</source>
        <translation>首次启动，正在生成演示派出所数据……</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Station Console</source>
        <translation>派出所综合指挥室工作台</translation>
    </message>
    <message>
        <source>Building the demo station was cancelled; {path} was left empty.</source>
        <translation>已取消生成演示数据；{path} 保持为空。</translation>
    </message>
</context>
<context>
    <name>BoardScreen</name>
    <message>
        <source>Incidents</source>
        <extracomment>How often the board looks for incidents written by anyone else. Selected incidents whose place is kept across a refresh (merge selections are small).</extracomment>
        <translation>警情</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在查询……</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>New intake</source>
        <translation>接警登记</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派警</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Merge duplicates</source>
        <translation>合并重复警情</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Sound alert</source>
        <translation>声音提醒</translation>
    </message>
    <message>
        <source>Beep when a new urgent incident arrives</source>
        <translation>有新的紧急警情时发出提示音</translation>
    </message>
    <message>
        <source>The list could not be loaded: {error}</source>
        <translation>警情列表加载失败：{error}</translation>
    </message>
    <message>
        <source>⚠ New urgent incident {number}: {category} — {address}</source>
        <translation>⚠ 新紧急警情 {number}：{category} — {address}</translation>
    </message>
    <message>
        <source>(+{count} more)</source>
        <translation>（另有 {count} 起）</translation>
    </message>
    <message>
        <source>↑ {count} new</source>
        <translation>↑ {count} 条新警情</translation>
    </message>
    <message>
        <source>{count} incidents</source>
        <translation>共 {count} 起警情</translation>
    </message>
    <message>
        <source>⚠ Overdue: {count}</source>
        <translation>⚠ 超时警情：{count}</translation>
    </message>
    <message>
        <source>No overdue incidents</source>
        <translation>无超时警情</translation>
    </message>
    <message>
        <source>Select an incident first.</source>
        <translation>请先选择一起警情。</translation>
    </message>
    <message>
        <source>{number} dispatched.</source>
        <translation>{number} 已派警。</translation>
    </message>
    <message>
        <source>Arrival of {number} recorded.</source>
        <translation>已记录 {number} 到场。</translation>
    </message>
    <message>
        <source>Resolve {number}</source>
        <translation>处置完毕 {number}</translation>
    </message>
    <message>
        <source>{number} resolved.</source>
        <translation>{number} 已处置完毕。</translation>
    </message>
    <message>
        <source>Close {number}</source>
        <translation>办结 {number}</translation>
    </message>
    <message>
        <source>Feedback: what was done and the result (required).</source>
        <translation>反馈：处置经过和结果（必填）。</translation>
    </message>
    <message>
        <source>{number} closed.</source>
        <translation>{number} 已办结。</translation>
    </message>
    <message>
        <source>Reopen {number}</source>
        <translation>重新打开 {number}</translation>
    </message>
    <message>
        <source>Why is the incident reopened? (recorded in the timeline)</source>
        <translation>重新打开的原因？（记入处置经过）</translation>
    </message>
    <message>
        <source>{number} reopened.</source>
        <translation>{number} 已重新打开。</translation>
    </message>
    <message>
        <source>Note on {number}</source>
        <translation>备注 {number}</translation>
    </message>
    <message>
        <source>The note is added to the incident&apos;s timeline.</source>
        <translation>备注将记入该警情的处置经过。</translation>
    </message>
    <message>
        <source>Note added to {number}.</source>
        <translation>已为 {number} 添加备注。</translation>
    </message>
    <message>
        <source>Merge {count} selected calls into {number}? They are closed and listed under it.</source>
        <translation>将选中的 {count} 条报警合并到 {number}？合并后这些报警办结，并列在该警情之下。</translation>
    </message>
    <message>
        <source>{count} calls merged into {number}.</source>
        <translation>已将 {count} 条报警合并到 {number}。</translation>
    </message>
    <message>
        <source>Incident {number} registered.</source>
        <translation>警情 {number} 已登记。</translation>
    </message>
    <message>
        <source>Export the incidents shown</source>
        <translation>导出当前列表中的警情</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Exporting incidents to {name}…</source>
        <translation>正在导出警情到 {name}……</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exported {count} incidents to {path}.</source>
        <translation>已导出 {count} 起警情到 {path}。</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消，未写入文件。</translation>
    </message>
    <message>
        <source>{count} incidents do not fit in one Excel sheet; narrow the filter or export CSV.</source>
        <translation>{count} 起警情超出单个 Excel 工作表的行数上限，请缩小筛选范围或导出 CSV。</translation>
    </message>
    <message>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>接警单号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Select an incident in the list to see its details.</source>
        <translation>在列表中选择一起警情，查看详细信息。</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>处置经过</translation>
    </message>
    <message>
        <source>Related calls (double-click to open)</source>
        <translation>关联报警（双击打开）</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Community / grid</source>
        <translation>社区 / 网格</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Unit / officer</source>
        <translation>处警组 / 民警</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简要警情</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Times</source>
        <translation>时间节点</translation>
    </message>
    <message>
        <source>merged into {number}</source>
        <translation>已合并到 {number}</translation>
    </message>
    <message>
        <source>{count} calls merged in</source>
        <translation>已并入 {count} 条报警</translation>
    </message>
    <message>
        <source>dispatched</source>
        <translation>派警</translation>
    </message>
    <message>
        <source>arrived</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Merged calls</source>
        <translation>已合并的报警</translation>
    </message>
    <message>
        <source>Same phone number</source>
        <translation>同一电话号码</translation>
    </message>
    <message>
        <source>Same address</source>
        <translation>同一地址</translation>
    </message>
    <message>
        <source>No other calls from this phone or address.</source>
        <translation>该电话或地址没有其他报警记录。</translation>
    </message>
    <message>
        <source>overdue by {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Dispatch {number}</source>
        <translation>派警 {number}</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>处警组</translation>
    </message>
    <message>
        <source>Call sign</source>
        <translation>呼号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>On incident</source>
        <translation>正在处置</translation>
    </message>
    <message>
        <source>(no officer)</source>
        <translation>（不指定民警）</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派警</translation>
    </message>
    <message>
        <source>Units on a call or off duty cannot be chosen. Pick a unit, an officer or both.</source>
        <translation>出警中或不在岗的处警组不能选择。可选择处警组、民警或两者。</translation>
    </message>
    <message>
        <source>Unit status board</source>
        <translation>处警组状态</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>This shift</source>
        <translation>本班次</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>近24小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>近7天</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部时间</translation>
    </message>
    <message>
        <source>Custom range…</source>
        <translation>自定义时段……</translation>
    </message>
    <message>
        <source>From (inclusive)</source>
        <translation>起（含）</translation>
    </message>
    <message>
        <source>Until (exclusive)</source>
        <translation>止（不含）</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>全部社区</translation>
    </message>
    <message>
        <source>Search number, address, description, caller or phone (4+ digits)</source>
        <translation>搜索单号、地址、警情内容、报警人或电话（4位以上数字）</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>All grids</source>
        <translation>全部网格</translation>
    </message>
</context>
<context>
    <name>IncidentLabels</name>
    <message>
        <source>New</source>
        <translation>待派警</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派警</translation>
    </message>
    <message>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>处置完毕</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已办结</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>High</source>
        <translation>较急</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>110 call</source>
        <extracomment>Background of rows whose clock has passed its limit.</extracomment>
        <translation>110报警</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话报警</translation>
    </message>
    <message>
        <source>Walk-in</source>
        <translation>来所报警</translation>
    </message>
    <message>
        <source>Patrol</source>
        <translation>巡逻发现</translation>
    </message>
    <message>
        <source>Warning order</source>
        <translation>预警指令</translation>
    </message>
    <message>
        <source>12345 hotline</source>
        <translation>12345热线</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Diverted</source>
        <translation>分流</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>On a call</source>
        <translation>出警中</translation>
    </message>
    <message>
        <source>Off duty</source>
        <translation>不在岗</translation>
    </message>
    <message>
        <source>Handled on scene</source>
        <translation>现场处置完毕</translation>
    </message>
    <message>
        <source>Mediated</source>
        <translation>调解成功</translation>
    </message>
    <message>
        <source>Case opened</source>
        <translation>受案立案</translation>
    </message>
    <message>
        <source>Referred to another department</source>
        <translation>移交其他部门</translation>
    </message>
    <message>
        <source>Diverted (non-police)</source>
        <translation>非警务分流</translation>
    </message>
    <message>
        <source>False alarm</source>
        <translation>无效警情</translation>
    </message>
    <message>
        <source>Nothing found</source>
        <translation>查无此事</translation>
    </message>
    <message>
        <source>Merged into another incident</source>
        <translation>已合并到其他警情</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警</translation>
    </message>
    <message>
        <source>Reassigned</source>
        <translation>改派</translation>
    </message>
    <message>
        <source>Arrived on scene</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Duplicate merged in</source>
        <translation>并入重复报警</translation>
    </message>
    <message>
        <source>Merged into</source>
        <translation>合并到</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>This cannot be done while the incident is “{status}”.</source>
        <translation>警情处于“{status}”状态，不能进行此操作。</translation>
    </message>
    <message>
        <source>This call was merged into another incident; work on the main incident.</source>
        <translation>该报警已合并到其他警情，请在主警情上操作。</translation>
    </message>
    <message>
        <source>Choose a patrol unit or an officer to dispatch.</source>
        <translation>请选择要派出的处警组或民警。</translation>
    </message>
    <message>
        <source>That unit is on another call. Choose an available unit.</source>
        <translation>该处警组正在出警，请选择空闲的处警组。</translation>
    </message>
    <message>
        <source>That unit is off duty. Choose an available unit.</source>
        <translation>该处警组不在岗，请选择空闲的处警组。</translation>
    </message>
    <message>
        <source>That unit is already on this incident.</source>
        <translation>该处警组已在处置本警情。</translation>
    </message>
    <message>
        <source>Choose the outcome of the incident.</source>
        <translation>请选择处置结果。</translation>
    </message>
    <message>
        <source>Unknown outcome code.</source>
        <translation>未知的处置结果代码。</translation>
    </message>
    <message>
        <source>Write the feedback before closing the incident.</source>
        <translation>办结前请填写反馈。</translation>
    </message>
    <message>
        <source>Give the reason for reopening the incident.</source>
        <translation>请填写重新打开的原因。</translation>
    </message>
    <message>
        <source>An incident cannot be merged into itself.</source>
        <translation>警情不能合并到自身。</translation>
    </message>
    <message>
        <source>The main incident is itself merged; merge into its main incident.</source>
        <translation>目标警情本身已被合并，请合并到其主警情。</translation>
    </message>
    <message>
        <source>Select the duplicate calls to merge (Ctrl+click in the list).</source>
        <translation>请选择要合并的重复报警（在列表中按住 Ctrl 点击）。</translation>
    </message>
    <message>
        <source>The note is empty.</source>
        <translation>备注内容为空。</translation>
    </message>
    <message>
        <source>The incident, unit or officer no longer exists.</source>
        <translation>该警情、处警组或民警已不存在。</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <source>Not a mainland mobile (11 digits) or landline number with area code.</source>
        <translation>不是有效的手机号（11位）或带区号的固定电话。</translation>
    </message>
    <message>
        <source>An ID number has 18 characters: 17 digits and a digit or X.</source>
        <translation>身份证号为18位：17位数字加1位数字或X。</translation>
    </message>
    <message>
        <source>The birth date inside the ID number is not a real date.</source>
        <translation>身份证号中的出生日期无效。</translation>
    </message>
    <message>
        <source>The last character of the ID number does not match; check for a typo.</source>
        <translation>身份证号校验位不符，请检查是否输错。</translation>
    </message>
    <message>
        <source>Not in the code table; pick from the list.</source>
        <translation>不在代码表中，请从列表中选择。</translation>
    </message>
    <message>
        <source>The community cannot be told from the address; pick it from the list.</source>
        <translation>无法从地址判断所属社区，请从列表中选择。</translation>
    </message>
    <message>
        <source>The time is in the future.</source>
        <translation>时间晚于当前时间。</translation>
    </message>
    <message>
        <source>Too long.</source>
        <translation>内容过长。</translation>
    </message>
    <message>
        <source>Incident number</source>
        <translation>接警单号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>警情类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>警情等级</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Caller phone</source>
        <translation>报警电话</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>处警组</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>民警</translation>
    </message>
    <message>
        <source>Dispatched at</source>
        <translation>派警时间</translation>
    </message>
    <message>
        <source>Arrived at</source>
        <translation>到场时间</translation>
    </message>
    <message>
        <source>Resolved at</source>
        <translation>处置完毕时间</translation>
    </message>
    <message>
        <source>Closed at</source>
        <translation>办结时间</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>简要警情</translation>
    </message>
    <message>
        <source>Feedback</source>
        <translation>反馈</translation>
    </message>
</context>
<context>
    <name>IncidentTableModel</name>
    <message>
        <source>Number</source>
        <extracomment>Columns whose header click sorts (in SQL, on an index). The row object itself (an ``IncidentRow``) and its id, for the view and the detail pane. Pages kept in memory (about 5,000 rows): scrolling a million rows never grows the cache.</extracomment>
        <translation>接警单号</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>计时</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Community / grid</source>
        <translation>社区 / 网格</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>处警组 / 民警</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Dispatch limit {limit}</source>
        <translation>派警时限 {limit}</translation>
    </message>
    <message>
        <source>Arrival limit {limit}</source>
        <translation>到场时限 {limit}</translation>
    </message>
    <message>
        <source>overdue by {time}</source>
        <translation>已超时 {time}</translation>
    </message>
    <message>
        <source>{time} left</source>
        <translation>剩余 {time}</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>New intake</source>
        <extracomment>Sources an operator registers by hand (110 calls and warnings arrive by feed).</extracomment>
        <translation>接警登记</translation>
    </message>
    <message>
        <source>(choose)</source>
        <translation>（请选择）</translation>
    </message>
    <message>
        <source>(category default)</source>
        <translation>（按类别默认）</translation>
    </message>
    <message>
        <source>mobile 138… or landline 0571-…</source>
        <translation>手机 138…… 或固话 0571-……</translation>
    </message>
    <message>
        <source>18 characters, optional</source>
        <translation>18位，可不填</translation>
    </message>
    <message>
        <source>(derive from the address)</source>
        <translation>（根据地址判断）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Category *</source>
        <translation>警情类别 *</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>警情等级</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>接警时间</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>报警人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Address *</source>
        <translation>发生地址 *</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>所属社区</translation>
    </message>
    <message>
        <source>What happened *</source>
        <translation>简要警情 *</translation>
    </message>
    <message>
        <source>Fields marked * are required. A phone number is required for phone and 110 calls.</source>
        <translation>带 * 的为必填项。电话报警和110报警须填写联系电话。</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the marked fields.</source>
        <translation>未保存：请更正标出的字段。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>The jurisdiction map: communities, grids, posts, key places, incidents and patrol heat overlays, fully offline.</source>
        <translation>辖区地图：社区、网格、警务站、重点场所、警情和巡逻热力图层，完全离线。</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Community-officer task queues: sign-off and feedback deadlines and structured feedback forms.</source>
        <translation>社区民警任务队列：签收与反馈时限、结构化反馈答题卡。</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>研判</translation>
    </message>
    <message>
        <source>The station chief&apos;s daily figures and the morning briefing.</source>
        <translation>所领导每日指标与晨会日报。</translation>
    </message>
    <message>
        <source>Data exchange</source>
        <translation>数据交换</translation>
    </message>
    <message>
        <source>Feeds and task orders in, feedback, reports and signed change packages out, and backups.</source>
        <translation>导入警情数据和任务指令，导出反馈、报表和签名变更包，以及数据备份。</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Accounts, roles, code tables and the audit trail.</source>
        <translation>账号、角色、代码表和审计日志。</translation>
    </message>
    <message>
        <source>No station</source>
        <translation>未设置派出所</translation>
    </message>
    <message>
        <source>Station Console</source>
        <translation>派出所综合指挥室工作台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Station Console</source>
        <translation>关于本系统(&amp;A)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used from the next start of the console.</source>
        <translation>新的界面语言将在下次启动时生效。</translation>
    </message>
    <message>
        <source>About Station Console</source>
        <translation>关于派出所综合指挥室工作台</translation>
    </message>
    <message>
        <source>Station Console {version}</source>
        <translation>派出所综合指挥室工作台 {version}</translation>
    </message>
    <message>
        <source>The comprehensive command room workstation of a police station.</source>
        <translation>派出所综合指挥室值班工作台。</translation>
    </message>
    <message>
        <source>demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Database: {path}</source>
        <translation>数据库：{path}</translation>
    </message>
</context>
<context>
    <name>MapScreen</name>
    <message>
        <source>Map</source>
        <translation>地图</translation>
    </message>
    <message>
        <source>Last {days} days</source>
        <translation>近 {days} 天</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source> m</source>
        <translation> 米</translation>
    </message>
    <message>
        <source>Hotspot cell size</source>
        <translation>热点网格边长</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>全天</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Step the heat through the hours of the day</source>
        <translation>按小时逐步播放一天中热力的变化</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Heat by hour</source>
        <translation>分时热力</translation>
    </message>
    <message>
        <source>Loading the map…</source>
        <translation>正在加载地图…</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Incidents</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z 值</translation>
    </message>
    <message>
        <source>Leading categories</source>
        <translation>主要类别</translation>
    </message>
    <message>
        <source>Peak hours</source>
        <translation>高发时段</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Hotspots (significant cells, most incidents first)</source>
        <translation>热点（统计显著的网格，按警情数排序）</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Grids</source>
        <translation>网格</translation>
    </message>
    <message>
        <source>Police posts</source>
        <translation>警务站</translation>
    </message>
    <message>
        <source>Heat</source>
        <translation>热力图</translation>
    </message>
    <message>
        <source>Hotspots</source>
        <translation>热点</translation>
    </message>
    <message>
        <source>Key places: {type}</source>
        <translation>重点场所：{type}</translation>
    </message>
    <message>
        <source>banks</source>
        <translation>银行</translation>
    </message>
    <message>
        <source>schools</source>
        <translation>学校</translation>
    </message>
    <message>
        <source>kindergartens</source>
        <translation>幼儿园</translation>
    </message>
    <message>
        <source>hospitals</source>
        <translation>医院</translation>
    </message>
    <message>
        <source>heritage sites</source>
        <translation>文保单位</translation>
    </message>
    <message>
        <source>markets</source>
        <translation>市场</translation>
    </message>
    <message>
        <source>malls</source>
        <translation>商场</translation>
    </message>
    <message>
        <source>stations</source>
        <translation>车站</translation>
    </message>
    <message>
        <source>hotels</source>
        <translation>旅馆</translation>
    </message>
    <message>
        <source>internet cafés</source>
        <translation>网吧</translation>
    </message>
    <message>
        <source>government offices</source>
        <translation>机关单位</translation>
    </message>
    <message>
        <source>#{rank}: {count} incidents, z = {z}, peak hours {peak}</source>
        <translation>第 {rank} 名：{count} 起警情，z = {z}，高发时段 {peak}</translation>
    </message>
    <message>
        <source>The map could not be loaded: {error}</source>
        <translation>地图无法加载：{error}</translation>
    </message>
    <message>
        <source>Reading incidents…</source>
        <translation>正在读取警情…</translation>
    </message>
    <message>
        <source>{count} incidents on the map (the board&apos;s filter)</source>
        <translation>地图上共 {count} 起警情（与警情列表筛选一致）</translation>
    </message>
    <message>
        <source>The map page could not be loaded.</source>
        <translation>地图页面无法加载。</translation>
    </message>
    <message>
        <source>the map page did not finish loading in {seconds} s</source>
        <translation>地图页面在 {seconds} 秒内未加载完成</translation>
    </message>
    <message>
        <source>the map page failed to load</source>
        <translation>地图页面加载失败</translation>
    </message>
    <message>
        <source>❚❚ Pause</source>
        <translation>❚❚ 暂停</translation>
    </message>
    <message>
        <source>00:00–24:00</source>
        <translation>00:00–24:00</translation>
    </message>
    <message>
        <source>{number} · {category} · {time}
{address}</source>
        <translation>{number} · {category} · {time}
{address}</translation>
    </message>
</context>
<context>
    <name>MultiChoice</name>
    <message>
        <source>all</source>
        <extracomment>Milliseconds of quiet after typing before the search runs.</extracomment>
        <translation>全部</translation>
    </message>
    <message>
        <source>{count} chosen</source>
        <translation>已选 {count} 项</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <source>(choose the outcome)</source>
        <translation>（请选择处置结果）</translation>
    </message>
    <message>
        <source>Optional note for the timeline</source>
        <translation>可填写备注，记入处置经过</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>处置结果</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
</TS>
