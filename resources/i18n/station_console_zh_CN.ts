<?xml version='1.0' encoding='utf-8'?>
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
    <name>MainWindow</name>
    <message>
        <source>Incidents</source>
        <translation>警情</translation>
    </message>
    <message>
        <source>The live incident board: every incident as it arrives, with clocks, dispatch, status workflow and repeat-call flags.</source>
        <translation>实时警情列表：每起警情到达即显示，含计时、派警、状态流转和重复报警标记。</translation>
    </message>
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
        <source>The station chief's daily figures and the morning briefing.</source>
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
</TS>